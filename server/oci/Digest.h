#pragma once
// Content digests ("sha256:<64 hex>", "sha512:<128 hex>") and streaming hashing.

#include "oci/Error.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace berth::oci {

enum class DigestAlgorithm { Sha256, Sha512 };

class Digest
{
public:
    // Accepts only registered algorithms with lower-case hex of the right length.
    // Errors: DigestInvalid for a malformed digest or an algorithm berthd does not support
    // (the spec answers both with DIGEST_INVALID).
    static Result<Digest> parse(std::string_view text);
    static Digest ofBytes(std::string_view bytes, DigestAlgorithm algorithm = DigestAlgorithm::Sha256);
    // The digest whose hash is `hash`, computed already (32 bytes for sha256, 64 for sha512).
    static Digest ofHash(DigestAlgorithm algorithm, std::span<const unsigned char> hash);

    DigestAlgorithm algorithm() const { return m_algorithm; }
    std::string_view algorithmName() const; // "sha256"
    const std::string& hex() const { return m_hex; }
    std::string toString() const;           // "sha256:<hex>"

    friend bool operator==(const Digest&, const Digest&) = default;
    friend auto operator<=>(const Digest&, const Digest&) = default;

private:
    friend class Hasher; // builds digests from hashes it computed, with no re-parsing
    Digest(DigestAlgorithm algorithm, std::string hex) : m_algorithm(algorithm), m_hex(std::move(hex)) {}
    DigestAlgorithm m_algorithm;
    std::string m_hex;
};

// Incremental hash over streamed bytes (OpenSSL EVP). Copyable, so an upload session
// can snapshot the state it had at a committed offset.
class Hasher
{
public:
    explicit Hasher(DigestAlgorithm algorithm = DigestAlgorithm::Sha256);
    Hasher(const Hasher& other);
    Hasher& operator=(const Hasher& other);
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    ~Hasher();

    void update(std::span<const std::byte> bytes);
    void update(std::string_view bytes);
    // The digest of everything so far; the hasher can keep going afterwards.
    Digest digest() const;
    DigestAlgorithm algorithm() const { return m_algorithm; }

private:
    struct Context;
    DigestAlgorithm m_algorithm;
    std::unique_ptr<Context> m_context;
};

} // namespace berth::oci
