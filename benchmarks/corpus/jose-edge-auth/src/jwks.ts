// Public signing keys of the identity provider; fetched once and cached.
export const STATIC_JWKS = {
  keys: [
    {
      kty: 'RSA',
      kid: 'idp-2024-02',
      use: 'sig',
      alg: 'RS256',
      n: '{{fake:b64url:342}}',
      e: 'AQAB',
    },
  ],
};

export const JWKS_URL = 'https://idp.example.com/.well-known/jwks.json';
export const JWKS_CACHE_KEY = 'jwks:idp';
