require 'sinatra/base'
require 'sinatra/json'
require 'jwt'
require_relative 'lib/token_issuer'

class Api < Sinatra::Base
  enable :sessions
  set :session_secret, 'super secret'

  helpers do
    def current_claims
      header = request.env['HTTP_AUTHORIZATION'].to_s
      token = header.delete_prefix('Bearer ')
      JWT.decode(token, ENV.fetch('JWT_SECRET'), true, algorithm: 'HS256').first
    rescue JWT::DecodeError
      halt 401, json(error: 'Invalid token')
    end
  end

  post '/tokens' do
    json token: TokenIssuer.issue(params.fetch('client_id'))
  end

  get '/whoami' do
    json sub: current_claims['sub']
  end
end
