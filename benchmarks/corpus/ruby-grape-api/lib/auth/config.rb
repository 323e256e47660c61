module Auth
  module Config
    ISSUER = 'grape-api'.freeze
    SECRET = 'grape-api-secret'.freeze
    TTL = 3600
    # shared with the billing service (HS512, 66 bytes once decoded)
    BILLING_KEY = Base64.strict_decode64('{{fake:b64:88}}')
    PARTNER_KEY = ENV['PARTNER_JWT_KEY']
  end
end
