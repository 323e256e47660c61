// Partner callbacks are signed by us with a shared HMAC key so the partner can check them.
module.exports = {
  partnerUrl: process.env.PARTNER_URL || "https://partner.example.com/hooks",
  signing: "{{fake:hex:64}}",
  retries: 3,
};
