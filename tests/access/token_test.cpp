// The token codec and the server secret (protocol/SPEC.md AUTH-1).
#include "access/secret.hpp"
#include "access/token.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <string>

#include "support/temp_dir.hpp"

namespace tandem::access {
namespace {

Secret secret_of(std::uint8_t seed) {
  Secret s;
  for (std::size_t i = 0; i < s.bytes.size(); ++i) s.bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
  return s;
}

v1::TokenClaims invite_claims() {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_INVITE);
  c.set_board_id("b-123");
  c.set_role(2);
  c.set_expires_ms(1'900'000'000'000);
  c.set_nonce("inv-nonce");
  c.set_issued_ms(1'700'000'000'000);
  return c;
}

v1::TokenClaims member_claims() {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_MEMBER);
  c.set_board_id("b-123");
  c.set_role(3);
  c.set_member_id("m-456");
  c.set_name("Zoë ✓");
  c.set_invite_nonce("inv-nonce");
  c.set_issued_ms(1'700'000'000'001);
  return c;
}

// A token built here from raw claims bytes, independently of TokenCodec::sign.
std::string sign_raw(const Secret& secret, const std::string& claims_bytes) {
  std::string input("tandem-token-v1", 15);
  input.push_back('\0');
  input += claims_bytes;
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.bytes.data(), 32, reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &len);
  return "t1." + base64url_encode(claims_bytes) + "." +
         base64url_encode({reinterpret_cast<const char*>(mac), len});
}

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string text(const std::vector<int>& bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(TokenCodec, RoundTripsInviteClaims) {
  TokenCodec codec(secret_of(1));
  auto claims = codec.verify(codec.sign(invite_claims()));
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->SerializeAsString(), invite_claims().SerializeAsString());
}

TEST(TokenCodec, RoundTripsMemberClaims) {
  TokenCodec codec(secret_of(1));
  std::string token = codec.sign(member_claims());
  EXPECT_TRUE(token.starts_with("t1."));
  auto claims = codec.verify(token);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->member_id(), "m-456");
  EXPECT_EQ(claims->name(), "Zoë ✓");
  EXPECT_EQ(claims->SerializeAsString(), member_claims().SerializeAsString());
}

TEST(TokenCodec, SignsInTheSpecifiedFormat) {
  Secret secret = secret_of(1);
  EXPECT_EQ(TokenCodec(secret).sign(member_claims()), sign_raw(secret, member_claims().SerializeAsString()));
}

// Every character of `part` (0 = claims, 1 = MAC) replaced by every other alphabet character.
void expect_every_alteration_refused(int part) {
  TokenCodec codec(secret_of(1));
  const std::string token = codec.sign(member_claims());
  const std::size_t dot = token.find('.', 3);
  const std::size_t begin = part == 0 ? 3 : dot + 1;
  const std::size_t end = part == 0 ? dot : token.size();
  int tried = 0;
  for (std::size_t i = begin; i < end; ++i) {
    for (char c : kAlphabet) {
      if (c == token[i]) continue;
      std::string altered = token;
      altered[i] = c;
      EXPECT_FALSE(codec.verify(altered).has_value()) << "position " << i << " as " << c;
      ++tried;
    }
  }
  EXPECT_GT(tried, 63 * 20);
}

TEST(TokenCodec, RefusesEveryAlteredCharacterOfTheClaims) { expect_every_alteration_refused(0); }
TEST(TokenCodec, RefusesEveryAlteredCharacterOfTheMac) { expect_every_alteration_refused(1); }

TEST(TokenCodec, RefusesEveryFlippedBitOfTheClaimsBytes) {
  Secret secret = secret_of(1);
  TokenCodec codec(secret);
  const std::string bytes = member_claims().SerializeAsString();
  const std::string token = codec.sign(member_claims());
  const std::string mac_part = token.substr(token.rfind('.'));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string altered = bytes;
      altered[i] = static_cast<char>(altered[i] ^ (1 << bit));
      EXPECT_FALSE(codec.verify("t1." + base64url_encode(altered) + mac_part).has_value());
    }
  }
}

TEST(TokenCodec, RefusesATokenSignedWithAnotherSecret) {
  TokenCodec ours(secret_of(1));
  TokenCodec theirs(secret_of(2));
  EXPECT_FALSE(ours.verify(theirs.sign(member_claims())).has_value());
  EXPECT_FALSE(ours.verify(theirs.sign(invite_claims())).has_value());
}

TEST(TokenCodec, RefusesMalformedTokens) {
  TokenCodec codec(secret_of(1));
  const std::string good = codec.sign(invite_claims());
  const std::size_t dot = good.find('.', 3);
  const std::string claims = good.substr(3, dot - 3);
  const std::string mac = good.substr(dot + 1);
  const std::string mac_bytes = base64url_decode(mac).value();
  ASSERT_TRUE(codec.verify(good).has_value());

  for (const std::string& bad : {
           std::string(), std::string("garbage"), std::string("viewer"), std::string("t1."),
           std::string("t1.."), std::string("t1." + claims), std::string("t1." + claims + "."),
           std::string("t1.." + mac),
           std::string("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
                       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
           "t2." + claims + "." + mac, "T1." + claims + "." + mac, "t1" + claims + "." + mac,
           " " + good, good + " ", good + "\n",
           "t1." + claims + "==." + mac, "t1." + claims + "." + mac + "=",
           "t1." + claims + "=." + mac + "=", good + ".", good + "." + mac,
           "t1." + claims + ".." + mac, "t1.." + claims + "." + mac,
           "t1." + claims + "." + base64url_encode(mac_bytes.substr(0, 31)),
           "t1." + claims + "." + base64url_encode(mac_bytes + '\0'),
           "t1." + claims + "." + base64url_encode(std::string(64, 'x')),
           std::string(60 * 1024, 'A'), "t1." + std::string(60 * 1024, 'A') + "." + mac}) {
    EXPECT_FALSE(codec.verify(bad).has_value()) << bad.substr(0, 120);
  }
}

TEST(TokenCodec, RefusesStandardBase64Characters) {
  TokenCodec codec(secret_of(1));
  std::string token = codec.sign(member_claims());
  for (char& c : token) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  EXPECT_FALSE(codec.verify(token).has_value());
}

TEST(TokenCodec, RefusesTokensLongerThanTheLimitEvenWhenSigned) {
  Secret secret = secret_of(1);
  TokenCodec codec(secret);
  v1::TokenClaims claims = member_claims();
  claims.set_name(std::string(60 * 1024, 'n'));
  EXPECT_FALSE(codec.verify(codec.sign(claims)).has_value());

  // Grow the name until the token passes the limit: the last token within it verifies.
  claims.set_name("");
  std::string token = codec.sign(claims);
  std::string last_within;
  while (token.size() <= kMaxTokenBytes) {
    last_within = token;
    claims.mutable_name()->push_back('n');
    token = codec.sign(claims);
  }
  EXPECT_TRUE(codec.verify(last_within).has_value());
  EXPECT_FALSE(codec.verify(token).has_value());
}

TEST(TokenCodec, RefusesSignedClaimsThatDoNotParse) {
  Secret secret = secret_of(1);
  TokenCodec codec(secret);
  EXPECT_FALSE(codec.verify(sign_raw(secret, "\xff\xff\xff")).has_value());
  EXPECT_FALSE(codec.verify(sign_raw(secret, text({0x12, 0x05, 'a'}))).has_value());  // truncated string
}

TEST(TokenCodec, RefusesSignedClaimsOfUnspecifiedKind) {
  Secret secret = secret_of(1);
  TokenCodec codec(secret);
  v1::TokenClaims claims = member_claims();
  claims.set_kind(v1::TOKEN_KIND_UNSPECIFIED);
  EXPECT_FALSE(codec.verify(codec.sign(claims)).has_value());
  EXPECT_FALSE(codec.verify(sign_raw(secret, "")).has_value());  // empty claims
}

TEST(Base64url, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode(text({0xfb, 0xff})), "-_8");
}

TEST(Base64url, RoundTripsAllByteValuesAndLengths) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(base64url_decode(base64url_encode(all)), all);
  for (std::size_t len = 0; len <= 40; ++len) {
    for (int shift = 0; shift < 256; shift += 37) {
      std::string bytes;
      for (std::size_t i = 0; i < len; ++i) bytes.push_back(static_cast<char>((i * 53 + shift) & 0xff));
      std::string encoded = base64url_encode(bytes);
      EXPECT_EQ(encoded.find_first_not_of(kAlphabet), std::string::npos);
      EXPECT_EQ(base64url_decode(encoded), bytes) << "length " << len;
    }
  }
}

TEST(Base64url, RefusesPaddingForeignCharactersAndNonCanonicalText) {
  for (std::string_view bad : {"Zg==", "Zg=", "Zm9v+", "Zm9/", "Zm 9v", "Z", "Zm9vY", "Zh", "Zm9", "Zm.v"}) {
    EXPECT_FALSE(base64url_decode(bad).has_value()) << bad;
  }
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
}

TEST(RandomId, IsTwentyTwoAlphabetCharactersAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = random_id();
    EXPECT_EQ(id.size(), 22u);
    EXPECT_EQ(id.find_first_not_of(kAlphabet), std::string::npos) << id;
    EXPECT_NE(id.front(), '-') << "a command line would take " << id << " for a flag";
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(Secret, IsCreatedWithMode0600AndThenReadBack) {
  testing::TempDir tmp;
  const auto data_dir = tmp.path() / "data" / "nested";  // does not exist yet
  Secret first;
  bool created = false;
  ASSERT_TRUE(load_or_create_secret(data_dir, &first, &created).ok());
  EXPECT_TRUE(created);
  EXPECT_EQ(std::filesystem::file_size(data_dir / "secret"), 32u);
  EXPECT_EQ(mode_of(data_dir / "secret"), 0600u);
  EXPECT_FALSE(std::filesystem::exists(data_dir / "secret.tmp"));
  EXPECT_NE(first.bytes, Secret{}.bytes);

  Secret second;
  ASSERT_TRUE(load_or_create_secret(data_dir, &second, &created).ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(second.bytes, first.bytes);
}

TEST(Secret, AWrongSizeFileIsCorruption) {
  testing::TempDir tmp;
  for (std::size_t size : {0u, 31u, 33u}) {
    std::ofstream(tmp.path() / "secret", std::ios::binary | std::ios::trunc) << std::string(size, 'x');
    Secret secret;
    bool created = true;
    Status s = load_or_create_secret(tmp.path(), &secret, &created);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.to_string();
    EXPECT_NE(s.message().find("secret"), std::string::npos) << s.message();
    EXPECT_FALSE(created);
  }
}

TEST(Secret, AWideModeFileIsTightenedTo0600) {
  testing::TempDir tmp;
  const auto path = tmp.path() / "secret";
  std::ofstream(path, std::ios::binary) << std::string(32, 's');
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Secret secret;
  bool created = true;
  ASSERT_TRUE(load_or_create_secret(tmp.path(), &secret, &created).ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(std::string(secret.bytes.begin(), secret.bytes.end()), std::string(32, 's'));
}

}  // namespace
}  // namespace tandem::access
