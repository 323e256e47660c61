using Identity.Api.Infrastructure.Auth;
using Microsoft.Extensions.Options;
using Xunit;

namespace Identity.Tests;

public class JwtTokenGeneratorTests
{
    [Fact]
    public void AccessToken_HasThreeSegments()
    {
        var settings = Options.Create(new JwtSettings
        {
            Secret = TestKeys.JwtSecret,
            Issuer = "test",
            Audience = "test",
            ExpiryMinutes = 5,
        });
        var token = new JwtTokenGenerator(settings).GenerateAccessToken(Guid.NewGuid(), "a@example.com");
        Assert.Equal(3, token.Split('.').Length);
    }
}
