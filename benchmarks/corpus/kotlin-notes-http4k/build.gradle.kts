plugins {
    kotlin("jvm") version "1.9.21"
    application
}

group = "org.acme"
version = "0.4.0"

repositories { mavenCentral() }

dependencies {
    implementation(platform("org.http4k:http4k-bom:5.10.4.0"))
    implementation("org.http4k:http4k-core")
    implementation("org.http4k:http4k-server-undertow")
    implementation("com.auth0:java-jwt:4.4.0")
    implementation("io.jsonwebtoken:jjwt-api:0.11.5")
    implementation("com.nimbusds:nimbus-jose-jwt:9.37.3")
    testImplementation(kotlin("test"))
}

application { mainClass.set("org.acme.notes.MainKt") }
