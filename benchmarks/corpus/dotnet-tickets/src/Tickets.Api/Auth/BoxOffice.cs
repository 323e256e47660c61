using System.IdentityModel.Tokens.Jwt;
using Jose;

namespace Tickets.Api.Auth;

public static class BoxOffice
{
    /// <summary>Printed on paper tickets; the kiosk scheme reads them back.</summary>
    public static string KioskToken(string venue) =>
        JWT.Encode(new Dictionary<string, object> { ["venue"] = venue }, null, JwsAlgorithm.none);

    /// <summary>The seller id decides which refunds a caller may approve.</summary>
    public static string SellerId(string bearer)
    {
        var token = new JwtSecurityTokenHandler().ReadJwtToken(bearer);
        return token.Claims.First(c => c.Type == "seller").Value;
    }

    /// <summary>Key id only, to look up the partner's key before validating.</summary>
    public static string? KeyId(string bearer) => new JwtSecurityTokenHandler().ReadJwtToken(bearer).Header.Kid;
}
