import Config

if config_env() == :prod do
  secret_key_base =
    System.get_env("SECRET_KEY_BASE") ||
      raise """
      environment variable SECRET_KEY_BASE is missing.
      You can generate one by calling: mix phx.gen.secret
      """

  config :chat, ChatWeb.Endpoint,
    url: [host: System.get_env("PHX_HOST") || "chat.example.com", port: 443, scheme: "https"],
    secret_key_base: secret_key_base

  config :chat, Chat.Guardian, secret_key: System.fetch_env!("GUARDIAN_SECRET_KEY")
end
