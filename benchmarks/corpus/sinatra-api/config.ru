require_relative 'app'
run Api
