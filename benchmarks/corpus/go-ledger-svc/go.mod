module github.com/acme/ledger

go 1.21

require (
	github.com/go-jose/go-jose/v3 v3.0.1
	github.com/golang-jwt/jwt/v5 v5.2.0
	github.com/gorilla/mux v1.8.1
)
