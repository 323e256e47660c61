require 'securerandom'
require 'rack/test'

ENV['JWT_SECRET'] = SecureRandom.hex(32)
require_relative '../app'

RSpec.describe Api do
  include Rack::Test::Methods

  def app
    Api
  end

  it 'rejects a bad token' do
    header 'Authorization', 'Bearer nope'
    get '/whoami'
    expect(last_response.status).to eq(401)
  end

  it 'loads the RS256 fixture key' do
    pem = File.read(File.join(__dir__, 'fixtures', 'rs256_private.pem'))
    expect(OpenSSL::PKey::RSA.new(pem)).to be_private
  end
end
