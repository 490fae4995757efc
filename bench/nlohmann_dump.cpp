// Baseline for `zeromq-xop bench`, row 4: the reply to a call returning a wave, built and
// dumped with nlohmann-json (the JSON library of the reference XOP) the way that library is
// normally used: the numbers go into a json array, the document is assembled with the same
// members the library's reply has, and dump(4) writes it with 4-space indentation.
//
//   nlohmann_dump fp64|i16 DATA_FILE ITERATIONS [OUT_FILE]
//
// DATA_FILE holds the wave's points in native byte order (doubles or int16). The program runs
// one untimed warm-up and ITERATIONS timed repetitions and prints the median times in
// nanoseconds of the thread's CPU time (time spent waiting for a core is not counted):
//
//   build_ns <n> dump_ns <n> total_ns <n> bytes <n>
//
// With OUT_FILE the text of the last repetition is written there (for checking it against
// the library's reply).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <time.h>
#include <vector>

using nlohmann::json;

namespace {

template <typename T>
std::vector<T> read_points(const char *path)
{
  std::ifstream in(path, std::ios::binary);
  if(!in)
  {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<T> points(bytes.size() / sizeof(T));
  if(!points.empty())
  {
    std::memcpy(points.data(), bytes.data(), points.size() * sizeof(T));
  }
  return points;
}

// The reply document: {"errorCode": {"value": 0}, "result": {"type": "wave", "value": WAVE}}
// with WAVE = {"data": {"raw": [...]}, "date": {"modification": 0},
//              "dimension": {"size": [N]}, "type": TYPE}.
template <typename T>
json build_reply(const std::vector<T> &points, const char *type)
{
  json wave;
  wave["data"]["raw"]          = points;
  wave["date"]["modification"] = 0;
  wave["dimension"]["size"]    = json::array({points.size()});
  wave["type"]                 = type;

  json reply;
  reply["errorCode"]["value"] = 0;
  reply["result"]["type"]     = "wave";
  reply["result"]["value"]    = std::move(wave);
  return reply;
}

long long thread_cpu_ns()
{
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

long long median(std::vector<long long> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename T>
int run(const std::vector<T> &points, const char *type, int iterations, const char *out_path)
{
  std::vector<long long> build_ns, dump_ns, total_ns;
  std::string text;
  for(int i = -1; i < iterations; i++)
  {
    const long long t0 = thread_cpu_ns();
    json reply         = build_reply(points, type);
    const long long t1 = thread_cpu_ns();
    text               = reply.dump(4);
    const long long t2 = thread_cpu_ns();
    if(i < 0)
    {
      continue; // warm-up
    }
    build_ns.push_back(t1 - t0);
    dump_ns.push_back(t2 - t1);
    total_ns.push_back(t2 - t0);
  }
  if(out_path != nullptr)
  {
    std::ofstream out(out_path, std::ios::binary);
    out << text;
  }
  std::printf("build_ns %lld dump_ns %lld total_ns %lld bytes %zu\n", median(build_ns),
              median(dump_ns), median(total_ns), text.size());
  return 0;
}

} // namespace

int main(int argc, char **argv)
{
  if(argc < 4)
  {
    std::fprintf(stderr, "usage: %s fp64|i16 DATA_FILE ITERATIONS [OUT_FILE]\n", argv[0]);
    return 2;
  }
  const std::string kind = argv[1];
  const int iterations   = std::max(1, std::atoi(argv[3]));
  const char *out_path   = argc > 4 ? argv[4] : nullptr;
  if(kind == "fp64")
  {
    return run(read_points<double>(argv[2]), "NT_FP64", iterations, out_path);
  }
  if(kind == "i16")
  {
    return run(read_points<std::int16_t>(argv[2]), "NT_I16", iterations, out_path);
  }
  std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
  return 2;
}
