defmodule Api.Auth.TokenTest do
  use ExUnit.Case, async: true

  alias Api.Auth.Token

  test "round trip" do
    {:ok, token, _} = Token.issue(42)
    assert {:ok, %{"sub" => "42"}} = Token.verify(token)
  end

  test "other key is rejected" do
    other = Joken.Signer.create("HS256", "some-other-test-key")
    {:ok, token, _} = Token.generate_and_sign(%{"sub" => "1"}, other)
    assert {:error, :signature_error} = Token.verify(token)
  end
end
