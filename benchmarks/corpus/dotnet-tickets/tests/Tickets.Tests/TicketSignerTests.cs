using System.Security.Cryptography;
using System.Text;
using Tickets.Api.Services;
using Xunit;

public class TicketSignerTests
{
    [Fact]
    public void LegacySignatureMatchesReference()
    {
        using var reference = new HMACSHA256(Encoding.ASCII.GetBytes("legacy-ticket-key"));
        var input = "a.b";
        Assert.Equal(reference.ComputeHash(Encoding.ASCII.GetBytes(input)), LegacyTicketSigner.Signature(input));
    }
}
