require 'jwt'
require_relative '../../lib/auth/token'

RSpec.describe Auth::Token do
  let(:wrong_secret) { 'spec-wrong-secret' }

  it 'round-trips' do
    expect(described_class.decode(described_class.issue(7))['sub']).to eq(7)
  end

  it 'rejects tokens signed with another key' do
    forged = JWT.encode({ sub: 1 }, wrong_secret, 'HS256')
    expect { described_class.decode(forged) }.to raise_error(JWT::VerificationError)
  end
end
