require 'rails_helper'

RSpec.describe AuthToken do
  let(:user) { build_stubbed(:user, id: 42) }

  it 'round-trips the user id' do
    token = described_class.issue(user)
    expect(described_class.read(token)['user_id']).to eq(42)
  end

  it 'returns nil for garbage' do
    expect(described_class.read('not.a.token')).to be_nil
  end
end
