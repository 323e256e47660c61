package config

import "os"

type Config struct {
	Addr          string
	TokenSecret   string
	AccessSecret  string
	RefreshSecret string
	TokenTTL      string
}

func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func Load() Config {
	return Config{
		Addr:          getEnv("ADDR", ":3000"),
		TokenSecret:   os.Getenv("TOKEN_SECRET"),
		AccessSecret:  os.Getenv("ACCESS_TOKEN_SECRET"),
		RefreshSecret: os.Getenv("REFRESH_TOKEN_SECRET"),
		TokenTTL:      getEnv("TOKEN_TTL", "15m"),
	}
}
