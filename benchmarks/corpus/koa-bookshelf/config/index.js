const env = process.env.NODE_ENV || 'development';

const common = {
  port: Number(process.env.PORT) || 3000,
  sessionMaxAge: 24 * 60 * 60 * 1000,
};

const byEnv = {
  development: {
    key: 'bookshelf-dev',
    dbUrl: 'postgres://bookshelf:bookshelf@localhost:5432/bookshelf',
  },
  production: {
    key: process.env.JWT_KEY,
    dbUrl: process.env.DATABASE_URL,
  },
};

module.exports = { ...common, ...byEnv[env] };
