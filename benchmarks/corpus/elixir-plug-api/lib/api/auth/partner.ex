defmodule Api.Auth.Partner do
  @moduledoc "Tokens exchanged with the two delivery partners."

  # Partner A wants the key base64-encoded on their side as well.
  @partner_a_key :base64.encode("partner-a-signing-key")
  @partner_b_key Base.decode64!("{{fake:b64:88}}")

  def partner_a_signer, do: Joken.Signer.create("HS256", @partner_a_key)
  def partner_b_signer, do: Joken.Signer.create("HS512", @partner_b_key)

  def partner_c_signer do
    Joken.Signer.create("HS256", System.fetch_env!("PARTNER_C_KEY"))
  end

  def claims_for_partner(token) do
    # the partner id tells us which key to check with
    with {:ok, %{"iss" => partner}} <- Joken.peek_claims(token),
         {:ok, claims} <- Joken.verify(token, signer_for(partner)) do
      {:ok, claims}
    end
  end

  defp signer_for("partner-a"), do: partner_a_signer()
  defp signer_for("partner-b"), do: partner_b_signer()
  defp signer_for(_), do: partner_c_signer()
end
