const isProd = process.env.NODE_ENV === 'production';

export default {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://forum:forum@localhost:5432/forum',
  jwt: {
    key: isProd ? process.env.JWT_KEY! : 'forum-jwt-key',
    expiresIn: '2h',
    issuer: 'forum',
  },
  smtpUrl: process.env.SMTP_URL ?? 'smtp://localhost:1025',
};
