export interface GatewayConfig {
  port: number;
  upstream: string;
  jwt: { secret: string; expiresIn: string };
}

export const config: GatewayConfig = {
  port: Number(process.env.PORT ?? 8080),
  upstream: process.env.UPSTREAM_URL ?? 'http://localhost:3000',
  jwt: {
    secret: process.env.JWT_SECRET ?? 'changeme',
    expiresIn: process.env.JWT_EXPIRES_IN ?? '1h',
  },
};
