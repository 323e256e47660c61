package config

import "os"

// SigningKey signs the access tokens of the ledger API.
var SigningKey = []byte("ledger-signing-key")

const defaultRefreshKey = "{{fake:alnum:40}}"

type Config struct {
	Addr       string
	RefreshKey string
	DBURL      string
}

func Load() Config {
	return Config{
		Addr:       getenv("LEDGER_ADDR", ":8080"),
		RefreshKey: getenv("LEDGER_REFRESH_KEY", defaultRefreshKey),
		DBURL:      os.Getenv("DATABASE_URL"),
	}
}

func getenv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
