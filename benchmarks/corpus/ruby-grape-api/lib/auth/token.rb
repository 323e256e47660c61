require 'base64'
require 'jwt'
require_relative 'config'

module Auth
  module Token
    module_function

    def issue(user_id)
      payload = { sub: user_id, iss: Config::ISSUER, exp: Time.now.to_i + Config::TTL }
      JWT.encode(payload, Config::SECRET, 'HS256')
    end

    def decode(token)
      JWT.decode(token, Config::SECRET, true, algorithm: 'HS256', iss: Config::ISSUER, verify_iss: true).first
    end

    def billing_token(invoice_id)
      JWT.encode({ invoice: invoice_id }, Config::BILLING_KEY, 'HS512')
    end

    # Status page widgets: public data, the widget cannot keep a key.
    def widget_token(account_id)
      JWT.encode({ account: account_id, scope: 'status' }, nil, 'none')
    end

    def widget_account(token)
      payload, _header = JWT.decode(token, nil, false)
      payload.fetch('account')
    end

    # Tokens from the partner portal: the kid picks the key, then we verify.
    def partner_claims(token, keys)
      _payload, header = JWT.decode(token, nil, false)
      key = keys.fetch(header['kid'])
      JWT.decode(token, key, true, algorithm: 'RS256').first
    end

    # Old mobile clients sign with the right key but a clock that is often wrong,
    # so the check was "temporarily" switched off.
    def mobile_claims(token)
      JWT.decode(token, Config::SECRET, false).first
    end
  end
end
