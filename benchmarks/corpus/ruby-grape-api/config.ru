require 'rack/session'
require_relative 'app/api/root'

use Rack::Session::Cookie,
    key: 'grape.session',
    secret: ENV.fetch('SESSION_SECRET') { 'rack-cookie-secret-change-me' },
    same_site: :lax

run API::Root
