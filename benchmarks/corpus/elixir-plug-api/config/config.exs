import Config

config :api, port: 4001

config :joken, default_signer: "joken-default-secret"

config :logger, :console, format: "$time $metadata[$level] $message\n"

import_config "#{config_env()}.exs"
