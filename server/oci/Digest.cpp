#include "oci/Digest.h"

#include <new>
#include <openssl/evp.h>
#include <optional>
#include <stdexcept>

namespace berth::oci {

namespace {

bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// algorithm ::= component (separator component)*, component ::= [a-z0-9]+, separator ::= [+._-]
bool isWellFormedAlgorithm(std::string_view text)
{
    bool afterSeparator = true; // also rejects an empty name and a leading separator
    for (char c : text) {
        if (isLowerAlnum(c)) {
            afterSeparator = false;
        } else if (c == '+' || c == '.' || c == '_' || c == '-') {
            if (afterSeparator)
                return false;
            afterSeparator = true;
        } else {
            return false;
        }
    }
    return !afterSeparator;
}

// encoded ::= [a-zA-Z0-9=_-]+
bool isWellFormedEncoded(std::string_view text)
{
    if (text.empty())
        return false;
    for (char c : text) {
        const bool ok = isLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '=' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<DigestAlgorithm> algorithmFromName(std::string_view name)
{
    if (name == "sha256")
        return DigestAlgorithm::Sha256;
    if (name == "sha512")
        return DigestAlgorithm::Sha512;
    return std::nullopt;
}

std::size_t hexLength(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Sha256 ? 64 : 128;
}

const EVP_MD* evpMd(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Sha256 ? EVP_sha256() : EVP_sha512();
}

// OpenSSL only fails these calls when out of memory or when a provider is missing,
// neither of which a caller can handle better than the allocator would.
void check(int ok, const char* what)
{
    if (ok != 1)
        throw std::runtime_error(std::string("OpenSSL ") + what + " failed");
}

std::string toHex(const unsigned char* bytes, unsigned length)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::size_t{length} * 2);
    for (unsigned i = 0; i < length; ++i) {
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0xf]);
    }
    return out;
}

} // namespace

Result<Digest> Digest::parse(std::string_view text)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return fail(ErrorCode::DigestInvalid,
                    "invalid digest " + quotedInput(text) + ": expected <algorithm>:<hex>");
    const auto name = text.substr(0, colon);
    const auto encoded = text.substr(colon + 1);
    if (!isWellFormedAlgorithm(name) || !isWellFormedEncoded(encoded))
        return fail(ErrorCode::DigestInvalid, "invalid digest " + quotedInput(text));

    const auto algorithm = algorithmFromName(name);
    if (!algorithm)
        return fail(ErrorCode::DigestInvalid, "unsupported digest algorithm " + quotedInput(name));

    const auto length = hexLength(*algorithm);
    bool lowerHex = true;
    for (char c : encoded)
        lowerHex = lowerHex && isLowerHex(c);
    if (encoded.size() != length || !lowerHex) {
        return fail(ErrorCode::DigestInvalid, "invalid digest " + quotedInput(text) + ": " +
                                                  std::string(name) + " needs " + std::to_string(length) +
                                                  " lower-case hex characters");
    }
    return Digest(*algorithm, std::string(encoded));
}

Digest Digest::ofHash(DigestAlgorithm algorithm, std::span<const unsigned char> hash)
{
    return Digest(algorithm, toHex(hash.data(), static_cast<unsigned>(hash.size())));
}

Digest Digest::ofBytes(std::string_view bytes, DigestAlgorithm algorithm)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    check(EVP_Digest(bytes.data(), bytes.size(), out, &length, evpMd(algorithm), nullptr), "EVP_Digest");
    return Digest(algorithm, toHex(out, length));
}

std::string_view Digest::algorithmName() const
{
    return m_algorithm == DigestAlgorithm::Sha256 ? "sha256" : "sha512";
}

std::string Digest::toString() const
{
    std::string out(algorithmName());
    out.push_back(':');
    out.append(m_hex);
    return out;
}

struct Hasher::Context
{
    Context() : ctx(EVP_MD_CTX_new())
    {
        if (ctx == nullptr)
            throw std::bad_alloc();
    }
    ~Context() { EVP_MD_CTX_free(ctx); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    EVP_MD_CTX* ctx;
};

Hasher::Hasher(DigestAlgorithm algorithm) : m_algorithm(algorithm), m_context(std::make_unique<Context>())
{
    check(EVP_DigestInit_ex(m_context->ctx, evpMd(algorithm), nullptr), "EVP_DigestInit_ex");
}

Hasher::Hasher(const Hasher& other) : m_algorithm(other.m_algorithm)
{
    if (other.m_context) { // a moved-from hasher copies as moved-from
        m_context = std::make_unique<Context>();
        check(EVP_MD_CTX_copy_ex(m_context->ctx, other.m_context->ctx), "EVP_MD_CTX_copy_ex");
    }
}

Hasher& Hasher::operator=(const Hasher& other)
{
    if (this != &other)
        *this = Hasher(other);
    return *this;
}

Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::update(std::span<const std::byte> bytes)
{
    check(EVP_DigestUpdate(m_context->ctx, bytes.data(), bytes.size()), "EVP_DigestUpdate");
}

void Hasher::update(std::string_view bytes)
{
    check(EVP_DigestUpdate(m_context->ctx, bytes.data(), bytes.size()), "EVP_DigestUpdate");
}

Digest Hasher::digest() const
{
    // Finalise a copy so that this hasher can keep taking bytes.
    Context snapshot;
    check(EVP_MD_CTX_copy_ex(snapshot.ctx, m_context->ctx), "EVP_MD_CTX_copy_ex");
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    check(EVP_DigestFinal_ex(snapshot.ctx, out, &length), "EVP_DigestFinal_ex");
    return Digest(m_algorithm, toHex(out, length));
}

} // namespace berth::oci
