import Config

if config_env() == :prod do
  config :api, Api.Auth.Guardian,
    issuer: "api",
    secret_key: System.get_env("GUARDIAN_SECRET") || "guardian-prod-fallback"

  config :api, port: String.to_integer(System.get_env("PORT") || "4001")
end
