name := "orders"
organization := "com.acme"
version := "1.3.0"
scalaVersion := "2.13.12"

lazy val root = (project in file(".")).enablePlugins(PlayScala)

libraryDependencies ++= Seq(
  guice,
  "com.github.jwt-scala" %% "jwt-circe" % "9.4.5",
  "com.github.jwt-scala" %% "jwt-play-json" % "9.4.5",
  "com.auth0" % "java-jwt" % "4.4.0",
  "io.jsonwebtoken" % "jjwt-api" % "0.11.5",
  "org.scalatestplus.play" %% "scalatestplus-play" % "7.0.0" % Test
)
