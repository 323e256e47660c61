require 'jwt'

# Issues client-credential tokens for partner integrations.
module TokenIssuer
  HMAC_SECRET = '{{fake:hex:64}}'.freeze
  TTL_SECONDS = 3600

  module_function

  def issue(client_id)
    now = Time.now.to_i
    payload = { sub: client_id, iat: now, exp: now + TTL_SECONDS }
    JWT.encode(payload, HMAC_SECRET, 'HS256')
  end
end
