import Config

config :api, Api.Auth.Guardian,
  issuer: "api",
  secret_key: "guardian-test-secret"
