class SessionsController < ApplicationController
  skip_before_action :authenticate_request, only: :create

  def create
    user = User.find_by(email: params[:email])
    if user&.authenticate(params[:password])
      render json: { token: AuthToken.issue(user), token_type: 'Bearer' }
    else
      render json: { error: I18n.t('sessions.invalid_token') }, status: :unauthorized
    end
  end

  def destroy
    session.delete(:user_id)
    head :no_content
  end
end
