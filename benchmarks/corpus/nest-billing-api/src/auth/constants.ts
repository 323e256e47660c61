export const jwtConstants = {
  secret: 'billing-dev-secret',
};

export const IS_PUBLIC_KEY = 'isPublic';
