using System.Security.Cryptography;
using System.Text;

namespace Tickets.Api.Services;

/// <summary>Old scanners at the gates still check HS256 with the first key.</summary>
public static class LegacyTicketSigner
{
    private static readonly HMACSHA256 Mac = new HMACSHA256(Encoding.ASCII.GetBytes("legacy-ticket-key"));

    public static byte[] Signature(string signingInput)
    {
        lock (Mac)
        {
            return Mac.ComputeHash(Encoding.ASCII.GetBytes(signingInput));
        }
    }

    public static byte[] SignatureWithKey(string signingInput, string base64Key)
    {
        using var mac = new HMACSHA256(Convert.FromBase64String(base64Key));
        return mac.ComputeHash(Encoding.ASCII.GetBytes(signingInput));
    }
}
