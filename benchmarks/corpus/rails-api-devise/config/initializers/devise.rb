# frozen_string_literal: true

Devise.setup do |config|
  config.mailer_sender = 'accounts@example.com'
  require 'devise/orm/active_record'

  config.jwt do |jwt|
    jwt.secret = '{{fake:hex:128}}'
    jwt.expiration_time = 30.minutes.to_i
  end

  config.sign_out_via = :delete
  config.navigational_formats = []
end
