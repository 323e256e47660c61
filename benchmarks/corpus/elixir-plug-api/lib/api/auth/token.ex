defmodule Api.Auth.Token do
  use Joken.Config

  @secret "elixir-api-secret"
  @issuer "api"

  @impl true
  def token_config do
    default_claims(iss: @issuer, default_exp: 60 * 60)
  end

  def signer, do: Joken.Signer.create("HS256", @secret)

  def issue(user_id), do: generate_and_sign(%{"sub" => to_string(user_id)}, signer())

  def verify(token), do: verify_and_validate(token, signer())

  # For the request log only; never used to authorize.
  def log_subject(token) do
    case Joken.peek_header(token) do
      {:ok, %{"kid" => kid}} -> "kid=#{kid}"
      _ -> "no-kid"
    end
  end
end
