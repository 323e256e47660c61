using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Identity.Api.Infrastructure.Auth;

public sealed class JwtTokenGenerator
{
    // Used for one-time e-mail confirmation links only.
    private const string tokenSigningKey = "{{fake:hex:64}}";

    private readonly JwtSettings _settings;

    public JwtTokenGenerator(IOptions<JwtSettings> options) => _settings = options.Value;

    public string GenerateAccessToken(Guid userId, string email)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_settings.Secret));
        return Write(key, new[] { new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()), new Claim(JwtRegisteredClaimNames.Email, email) },
            DateTime.UtcNow.AddMinutes(_settings.ExpiryMinutes));
    }

    public string GenerateEmailConfirmationToken(Guid userId)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(tokenSigningKey));
        return Write(key, new[] { new Claim("purpose", "email-confirm"), new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()) },
            DateTime.UtcNow.AddDays(1));
    }

    private string Write(SecurityKey key, IEnumerable<Claim> claims, DateTime expires)
    {
        var token = new JwtSecurityToken(_settings.Issuer, _settings.Audience, claims,
            expires: expires, signingCredentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
