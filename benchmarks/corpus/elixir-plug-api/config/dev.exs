import Config

config :api, Api.Auth.Guardian,
  issuer: "api",
  secret_key: "{{fake:b64:64}}"
