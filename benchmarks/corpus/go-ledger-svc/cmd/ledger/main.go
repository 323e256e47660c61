package main

import (
	"log"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/acme/ledger/internal/config"
	"github.com/acme/ledger/internal/tenant"
)

func main() {
	cfg := config.Load()
	r := mux.NewRouter()
	r.Use(tenant.Middleware)
	r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	log.Printf("ledger listening on %s", cfg.Addr)
	log.Fatal(http.ListenAndServe(cfg.Addr, r))
}
