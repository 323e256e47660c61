import Config

config :chat, ChatWeb.Endpoint,
  http: [ip: {127, 0, 0, 1}, port: 4002],
  secret_key_base: "{{fake:b64:64}}",
  server: false

config :logger, level: :warning
config :phoenix, :plug_init_mode, :runtime
