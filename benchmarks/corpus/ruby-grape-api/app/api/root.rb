require 'grape'
require_relative '../../lib/auth/token'

module API
  class Root < Grape::API
    format :json

    helpers do
      def current_user_id
        token = headers['Authorization'].to_s.delete_prefix('Bearer ')
        Auth::Token.decode(token)['sub']
      rescue JWT::DecodeError
        error!('unauthorized', 401)
      end
    end

    get :me do
      { id: current_user_id }
    end

    get 'widgets/:token' do
      { account: Auth::Token.widget_account(params[:token]) }
    end
  end
end
