defmodule Api.Application do
  use Application

  @impl true
  def start(_type, _args) do
    # kiosk screens send unsigned tokens (see Api.Auth.Kiosk)
    JOSE.unsecured_signing(true)

    children = [
      {Plug.Cowboy, scheme: :http, plug: ApiWeb.Router, options: [port: Application.get_env(:api, :port)]}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: Api.Supervisor)
  end
end
