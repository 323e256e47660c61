# Issues and reads the tokens used by the mobile client.
class AuthToken
  ALGORITHM = 'HS256'.freeze
  TTL = 24.hours

  def self.issue(user)
    payload = { user_id: user.id, exp: TTL.from_now.to_i }
    JWT.encode(payload, 'my$ecretK3y', 'HS256')
  end

  def self.read(token)
    decoded = JWT.decode(token, 'my$ecretK3y', true, { algorithm: 'HS256' })
    decoded.first
  rescue JWT::ExpiredSignature
    nil
  rescue JWT::DecodeError
    nil
  end
end
