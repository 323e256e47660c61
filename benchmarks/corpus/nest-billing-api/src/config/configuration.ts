export default () => ({
  port: parseInt(process.env.PORT ?? '3000', 10),
  database: {
    host: process.env.DATABASE_HOST ?? 'localhost',
    port: parseInt(process.env.DATABASE_PORT ?? '5432', 10),
  },
  jwtSecret: process.env.JWT_SECRET ?? '{{fake:alnum:48}}',
  shareKey: process.env.SHARE_KEY,
});
