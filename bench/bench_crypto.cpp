// calemu-bench-crypto: Google Benchmark timings of our own LMS, ML-DSA-87 and ML-KEM-1024 and
// of the SHA-256 compression they lean on. Run: build/calemu-bench-crypto
#include <benchmark/benchmark.h>

#include "crypto/lms.h"
#include "crypto/mldsa87.h"
#include "crypto/mlkem1024.h"
#include "crypto/sha.h"
#include "crypto/sha256_block.h"

namespace {

using namespace calemu::crypto;

Bytes pattern(size_t n, uint8_t salt) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 31 + salt);
  return b;
}

// Caliptra's parameter set: LMS_SHA256_M24_H15 with LMOTS_SHA256_N24_W4.
lms::PrivateKey caliptra_lms_key() {
  return {lms::LmsType::Sha256_M24_H15, lms::OtsType::Sha256_N24_W4, pattern(16, 1), pattern(24, 2)};
}

const lms::Signer& lms_signer() {
  static const lms::Signer signer(caliptra_lms_key());  // the 2^15-leaf tree, built once
  return signer;
}

void BM_Sha256Compress(benchmark::State& state) {
  uint32_t st[8] = {};
  const Bytes block = pattern(64, 3);
  for (auto _ : state) {
    sha256_compress(st, block.data());
    benchmark::DoNotOptimize(st);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64);
}
BENCHMARK(BM_Sha256Compress);

void BM_Sha256CompressPortable(benchmark::State& state) {
  uint32_t st[8] = {};
  const Bytes block = pattern(64, 3);
  for (auto _ : state) {
    detail::sha256_blocks_portable(st, block.data(), 1);
    benchmark::DoNotOptimize(st);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64);
}
BENCHMARK(BM_Sha256CompressPortable);

void BM_LmsKeygen_M24H15_W4_FullTree(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(lms::Signer(caliptra_lms_key()).public_key());
}
BENCHMARK(BM_LmsKeygen_M24H15_W4_FullTree)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_LmsKeygen_M24H15_W4_CaliptraSparse(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(lms::Signer(caliptra_lms_key(), lms::TreeGeneration::CaliptraSparse).public_key());
}
BENCHMARK(BM_LmsKeygen_M24H15_W4_CaliptraSparse)->Unit(benchmark::kMillisecond);

void BM_LmsSign_M24H15_W4(benchmark::State& state) {
  const lms::Signer& signer = lms_signer();
  const Bytes digest = sha384(pattern(100, 4));
  uint32_t q = 0;
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(q++ & 0x7fff, digest));
}
BENCHMARK(BM_LmsSign_M24H15_W4)->Unit(benchmark::kMicrosecond);

void BM_LmsVerify_M24H15_W4(benchmark::State& state) {
  const lms::Signer& signer = lms_signer();
  const Bytes pub = signer.public_key();
  const Bytes digest = sha384(pattern(100, 4));
  std::vector<Bytes> sigs;
  for (uint32_t q = 0; q < 64; ++q) sigs.push_back(signer.sign(q * 500, digest));
  size_t i = 0;
  for (auto _ : state) {
    if (!lms::verify(pub, digest, sigs[i++ % sigs.size()])) state.SkipWithError("LMS signature did not verify");
  }
}
BENCHMARK(BM_LmsVerify_M24H15_W4)->Unit(benchmark::kMicrosecond);

void BM_MlDsa87Keygen(benchmark::State& state) {
  Bytes seed = pattern(32, 5);
  for (auto _ : state) {
    seed[0]++;
    benchmark::DoNotOptimize(mldsa87::keygen(seed));
  }
}
BENCHMARK(BM_MlDsa87Keygen)->Unit(benchmark::kMicrosecond);

// Deterministic signing of changing messages, so the rejection loop's average shows.
void BM_MlDsa87Sign(benchmark::State& state) {
  const mldsa87::KeyPair kp = mldsa87::keygen(pattern(32, 6));
  Bytes msg = pattern(120, 7);  // Caliptra signs the 120-byte vendor header
  const Bytes rnd(32, 0);
  for (auto _ : state) {
    msg[0]++;
    msg[1] += msg[0] == 0;
    benchmark::DoNotOptimize(mldsa87::sign(kp.sk, msg, {}, rnd));
  }
}
BENCHMARK(BM_MlDsa87Sign)->Unit(benchmark::kMicrosecond);

void BM_MlDsa87Verify(benchmark::State& state) {
  const mldsa87::KeyPair kp = mldsa87::keygen(pattern(32, 6));
  const Bytes msg = pattern(120, 7);
  const Bytes sig = mldsa87::sign(kp.sk, msg, {}, Bytes(32, 0));
  for (auto _ : state) {
    if (!mldsa87::verify(kp.pk, msg, {}, sig)) state.SkipWithError("ML-DSA signature did not verify");
  }
}
BENCHMARK(BM_MlDsa87Verify)->Unit(benchmark::kMicrosecond);

void BM_MlKem1024Keygen(benchmark::State& state) {
  Bytes d = pattern(32, 8);
  const Bytes z = pattern(32, 9);
  for (auto _ : state) {
    d[0]++;
    benchmark::DoNotOptimize(mlkem1024::keygen(d, z));
  }
}
BENCHMARK(BM_MlKem1024Keygen)->Unit(benchmark::kMicrosecond);

void BM_MlKem1024Encaps(benchmark::State& state) {
  const mlkem1024::KeyPair kp = mlkem1024::keygen(pattern(32, 8), pattern(32, 9));
  Bytes m = pattern(32, 10);
  for (auto _ : state) {
    m[0]++;
    benchmark::DoNotOptimize(mlkem1024::encaps(kp.ek, m));
  }
}
BENCHMARK(BM_MlKem1024Encaps)->Unit(benchmark::kMicrosecond);

void BM_MlKem1024Decaps(benchmark::State& state) {
  const mlkem1024::KeyPair kp = mlkem1024::keygen(pattern(32, 8), pattern(32, 9));
  const Bytes c = mlkem1024::encaps(kp.ek, pattern(32, 10)).ciphertext;
  for (auto _ : state) benchmark::DoNotOptimize(mlkem1024::decaps(kp.dk, c));
}
BENCHMARK(BM_MlKem1024Decaps)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
