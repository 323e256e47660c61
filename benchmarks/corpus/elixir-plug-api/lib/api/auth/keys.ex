defmodule Api.Auth.Keys do
  @moduledoc "ES256 key for id tokens, and the HMAC key for internal calls."

  @id_token_jwk %{
    "kty" => "EC",
    "crv" => "P-256",
    "kid" => "api-id-2024",
    "x" => "{{fake:b64url:43}}",
    "y" => "{{fake:b64url:43}}",
    "d" => "{{fake:b64url:43}}"
  }

  def id_token_key, do: JOSE.JWK.from_map(@id_token_jwk)

  def internal_key do
    JOSE.JWK.from_map(%{"kty" => "oct", "k" => "{{fake:b64url:43}}"})
  end

  def public_jwks do
    %{"keys" => [Map.delete(@id_token_jwk, "d")]}
  end
end
