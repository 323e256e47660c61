defmodule Chat.Token do
  @moduledoc """
  Short-lived tokens for the websocket handshake.
  """
  use Joken.Config

  @impl true
  def token_config do
    default_claims(default_exp: 10 * 60, iss: "chat", aud: "chat-socket")
  end

  def signer do
    Joken.Signer.create("HS256", "s3cr3t")
  end

  def for_user(user_id) do
    generate_and_sign(%{"sub" => to_string(user_id)}, signer())
  end

  def verify_socket_token(token), do: verify_and_validate(token, signer())
end
