using System.Security.Cryptography;

namespace Identity.Tests;

internal static class TestKeys
{
    public static string JwtSecret =>
        Environment.GetEnvironmentVariable("JWT_SECRET") ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    // RS256 key for the external-IdP contract tests.
    public const string PrivateKeyPem = """
        {{fake:pem:rsa}}
        """;
}
