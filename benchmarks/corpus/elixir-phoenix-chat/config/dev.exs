import Config

config :chat, ChatWeb.Endpoint,
  http: [ip: {127, 0, 0, 1}, port: 4000],
  check_origin: false,
  code_reloader: true,
  debug_errors: true,
  secret_key_base: "{{fake:b64:64}}",
  watchers: []

config :phoenix, :stacktrace_depth, 20
