package main

import (
	"log"
	"net/http"
	"os"

	"github.com/acme/gin-api/internal/auth"
	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/cookie"
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()

	store := cookie.NewStore([]byte("{{fake:alnum:32}}"))
	r.Use(sessions.Sessions("ginsession", store))

	r.POST("/login", func(c *gin.Context) {
		var body struct {
			Username string `json:"username"`
			Password string `json:"password"`
		}
		if err := c.BindJSON(&body); err != nil || body.Password != os.Getenv("DEMO_PASSWORD") {
			c.JSON(http.StatusUnauthorized, gin.H{"error": "bad credentials"})
			return
		}
		token, err := auth.NewToken(body.Username)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "could not sign token"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"token": token})
	})

	api := r.Group("/api", auth.Middleware())
	api.GET("/me", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"username": c.GetString("username")})
	})

	log.Fatal(r.Run(":8080"))
}
