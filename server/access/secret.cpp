#include "access/secret.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace tandem::access {
namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// Closes a file descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status read_secret(const std::filesystem::path& path, Secret* out) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return Status::IoError(errno_text("cannot open", path));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return Status::IoError(errno_text("cannot stat", path));
  if (!S_ISREG(st.st_mode) || st.st_size != static_cast<off_t>(out->bytes.size())) {
    return Status::Corruption(path.string() + " is not a 32-byte file (size " +
                              std::to_string(st.st_size) + "); restore it from a backup, or " +
                              "delete it to make a new secret (every token issued is then refused)");
  }
  if ((st.st_mode & 0077) != 0 && ::fchmod(f.fd, 0600) != 0) {
    return Status::IoError(errno_text("cannot chmod 0600", path));
  }
  std::size_t got = 0;
  while (got < out->bytes.size()) {
    ssize_t n = ::read(f.fd, out->bytes.data() + got, out->bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(errno_text("cannot read", path));
    if (n == 0) return Status::Corruption(path.string() + " is shorter than 32 bytes");
    got += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status write_all(int fd, const std::uint8_t* data, std::size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(errno_text("cannot write", path));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status create_secret(const std::filesystem::path& data_dir, const std::filesystem::path& path,
                     Secret* out) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IoError("cannot create " + data_dir.string() + ": " + ec.message());
  if (RAND_bytes(out->bytes.data(), static_cast<int>(out->bytes.size())) != 1) {
    return Status::IoError("RAND_bytes failed: no secret generated");
  }
  const auto tmp = data_dir / "secret.tmp";
  ::unlink(tmp.c_str());  // left over from a start that died mid-write
  {
    Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (f.fd < 0) return Status::IoError(errno_text("cannot create", tmp));
    if (::fchmod(f.fd, 0600) != 0) return Status::IoError(errno_text("cannot chmod 0600", tmp));
    if (Status s = write_all(f.fd, out->bytes.data(), out->bytes.size(), tmp); !s.ok()) return s;
    if (::fsync(f.fd) != 0) return Status::IoError(errno_text("cannot fsync", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status::IoError(errno_text("cannot rename to", path));
  Fd dir{::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0) return Status::IoError(errno_text("cannot fsync", data_dir));
  return Status::Ok();
}

}  // namespace

Status load_or_create_secret(const std::filesystem::path& data_dir, Secret* out, bool* created) {
  *created = false;
  const auto path = data_dir / "secret";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return read_secret(path, out);
  if (errno != ENOENT) return Status::IoError(errno_text("cannot stat", path));
  if (Status s = create_secret(data_dir, path, out); !s.ok()) return s;
  *created = true;
  return Status::Ok();
}

}  // namespace tandem::access
