import Config

config :chat,
  ecto_repos: [Chat.Repo],
  generators: [timestamp_type: :utc_datetime]

config :chat, ChatWeb.Endpoint,
  url: [host: "localhost"],
  render_errors: [formats: [json: ChatWeb.ErrorJSON], layout: false],
  pubsub_server: Chat.PubSub

config :chat, Chat.Guardian,
  issuer: "chat",
  secret_key: "{{fake:b64:64}}"

config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

import_config "#{config_env()}.exs"
