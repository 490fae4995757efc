# ZeromqXop.cmake: builds the zeromq_xop Rust library with cargo and exposes it to CMake.
#
# Include this file (from the root CMakeLists.txt or from a host-glue project, in any order and
# any number of times) and link one of the targets it defines:
#
#   zeromq_xop_static  INTERFACE: the static library plus the system libraries it needs
#   zeromq_xop_shared  INTERFACE: the shared library (DLL import library on Windows)
#
# Both carry the include directory holding zeromq_xop.h. cargo runs once per build, through
# the custom target zeromq_xop_cargo, on which both targets depend; cargo itself decides
# whether anything needs recompiling.
#
# Settings (cache variables, all optional):
#   CARGO                         the cargo executable (default: found on PATH, in
#                                 $CARGO_HOME/bin or ~/.cargo/bin; $ENV{CARGO} is honoured)
#   ZEROMQ_XOP_CARGO_PROFILE      cargo profile; default "dev" for CMAKE_BUILD_TYPE Debug,
#                                 "release" otherwise (also for multi-config generators)
#   ZEROMQ_XOP_CARGO_TARGET       a Rust target triple to cross-compile for (default: host)
#   ZEROMQ_XOP_CARGO_TARGET_DIR   cargo's target directory (default: $ENV{CARGO_TARGET_DIR}
#                                 or <crate>/target)
#   ZEROMQ_XOP_CARGO_FLAGS        extra arguments for `cargo build` (a list)
#   ZEROMQ_XOP_NATIVE_STATIC_LIBS replaces the platform's list of system libraries that
#                                 zeromq_xop_static links (see the defaults below)
#
# Variables set for the includer (also as INTERNAL cache entries, so they are visible in every
# directory): ZEROMQ_XOP_SOURCE_DIR, ZEROMQ_XOP_INCLUDE_DIR, ZEROMQ_XOP_VERSION,
# ZEROMQ_XOP_STATIC_LIBRARY, ZEROMQ_XOP_SHARED_LIBRARY, ZEROMQ_XOP_IMPORT_LIBRARY (Windows),
# ZEROMQ_XOP_SHARED_LIBRARY_DIR.

include_guard(GLOBAL)

if(CMAKE_VERSION VERSION_LESS 3.16)
  message(FATAL_ERROR "ZeromqXop.cmake needs CMake 3.16 or newer")
endif()

if(TARGET zeromq_xop_static OR TARGET zeromq_xop_cargo)
  return()
endif()

get_filename_component(_zx_source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(ZEROMQ_XOP_SOURCE_DIR "${_zx_source_dir}" CACHE INTERNAL "zeromq_xop crate directory")
set(ZEROMQ_XOP_INCLUDE_DIR "${_zx_source_dir}/include" CACHE INTERNAL
    "directory holding zeromq_xop.h")

if(NOT EXISTS "${_zx_source_dir}/Cargo.toml")
  message(FATAL_ERROR "ZeromqXop.cmake: no Cargo.toml in ${_zx_source_dir}")
endif()

# The crate version (the first `version = "..."` line of Cargo.toml, i.e. [package]).
file(STRINGS "${_zx_source_dir}/Cargo.toml" _zx_version_line
     REGEX "^version[ \t]*=[ \t]*\"[^\"]+\"" LIMIT_COUNT 1)
string(REGEX REPLACE "^version[ \t]*=[ \t]*\"([^\"]+)\".*" "\\1" _zx_version "${_zx_version_line}")
set(ZEROMQ_XOP_VERSION "${_zx_version}" CACHE INTERNAL "zeromq_xop crate version")

# --- cargo ---------------------------------------------------------------------------------------

if(NOT CARGO AND DEFINED ENV{CARGO} AND EXISTS "$ENV{CARGO}")
  set(CARGO "$ENV{CARGO}" CACHE FILEPATH "cargo executable")
endif()
set(_zx_cargo_hints)
if(DEFINED ENV{CARGO_HOME})
  list(APPEND _zx_cargo_hints "$ENV{CARGO_HOME}/bin")
endif()
if(DEFINED ENV{HOME})
  list(APPEND _zx_cargo_hints "$ENV{HOME}/.cargo/bin")
endif()
if(DEFINED ENV{USERPROFILE})
  list(APPEND _zx_cargo_hints "$ENV{USERPROFILE}/.cargo/bin")
endif()
find_program(CARGO cargo HINTS ${_zx_cargo_hints} DOC "cargo executable")
if(NOT CARGO)
  message(FATAL_ERROR "ZeromqXop.cmake: cargo not found; install Rust (https://rustup.rs) "
                      "or pass -DCARGO=/path/to/cargo")
endif()

if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(_zx_default_profile "dev")
else()
  set(_zx_default_profile "release")
endif()
set(ZEROMQ_XOP_CARGO_PROFILE "${_zx_default_profile}" CACHE STRING
    "cargo profile used to build the zeromq_xop library (dev or release)")
set(ZEROMQ_XOP_CARGO_TARGET "" CACHE STRING
    "Rust target triple for the zeromq_xop library (empty: the host)")
if(DEFINED ENV{CARGO_TARGET_DIR} AND NOT "$ENV{CARGO_TARGET_DIR}" STREQUAL "")
  set(_zx_default_target_dir "$ENV{CARGO_TARGET_DIR}")
else()
  set(_zx_default_target_dir "${_zx_source_dir}/target")
endif()
set(ZEROMQ_XOP_CARGO_TARGET_DIR "${_zx_default_target_dir}" CACHE PATH
    "cargo target directory for the zeromq_xop library")
set(ZEROMQ_XOP_CARGO_FLAGS "" CACHE STRING "extra arguments for cargo build (a list)")

# cargo puts the "dev" profile into "debug", every other profile into a directory of its name.
if(ZEROMQ_XOP_CARGO_PROFILE STREQUAL "dev")
  set(_zx_profile_dir "debug")
else()
  set(_zx_profile_dir "${ZEROMQ_XOP_CARGO_PROFILE}")
endif()
get_filename_component(_zx_target_dir "${ZEROMQ_XOP_CARGO_TARGET_DIR}" ABSOLUTE
                       BASE_DIR "${CMAKE_BINARY_DIR}")
set(_zx_cargo_target_args)
if(ZEROMQ_XOP_CARGO_TARGET)
  set(_zx_out_dir "${_zx_target_dir}/${ZEROMQ_XOP_CARGO_TARGET}/${_zx_profile_dir}")
  list(APPEND _zx_cargo_target_args --target "${ZEROMQ_XOP_CARGO_TARGET}")
else()
  set(_zx_out_dir "${_zx_target_dir}/${_zx_profile_dir}")
endif()

# --- file names of the artifacts -----------------------------------------------------------------

set(_zx_import_lib "")
if(WIN32)
  if(MSVC OR CMAKE_C_COMPILER_ID STREQUAL "MSVC" OR CMAKE_C_SIMULATE_ID STREQUAL "MSVC")
    set(_zx_static_lib "${_zx_out_dir}/zeromq_xop.lib")
    set(_zx_import_lib "${_zx_out_dir}/zeromq_xop.dll.lib")
  else()
    set(_zx_static_lib "${_zx_out_dir}/libzeromq_xop.a")
    set(_zx_import_lib "${_zx_out_dir}/libzeromq_xop.dll.a")
  endif()
  set(_zx_shared_lib "${_zx_out_dir}/zeromq_xop.dll")
elseif(APPLE)
  set(_zx_static_lib "${_zx_out_dir}/libzeromq_xop.a")
  set(_zx_shared_lib "${_zx_out_dir}/libzeromq_xop.dylib")
else()
  set(_zx_static_lib "${_zx_out_dir}/libzeromq_xop.a")
  set(_zx_shared_lib "${_zx_out_dir}/libzeromq_xop.so")
endif()
set(ZEROMQ_XOP_STATIC_LIBRARY "${_zx_static_lib}" CACHE INTERNAL "zeromq_xop static library")
set(ZEROMQ_XOP_SHARED_LIBRARY "${_zx_shared_lib}" CACHE INTERNAL "zeromq_xop shared library")
set(ZEROMQ_XOP_IMPORT_LIBRARY "${_zx_import_lib}" CACHE INTERNAL "zeromq_xop import library")
set(ZEROMQ_XOP_SHARED_LIBRARY_DIR "${_zx_out_dir}" CACHE INTERNAL
    "directory holding the zeromq_xop shared library")

# --- system libraries the static library needs ---------------------------------------------------
#
# These are what `cargo rustc --lib --crate-type staticlib -- --print native-static-libs`
# reports for the Rust standard library, plus the C++ runtime of the bundled libzmq.
if(WIN32)
  set(_zx_native_libs ws2_32 iphlpapi advapi32 userenv bcrypt ntdll kernel32 dbghelp)
  if(NOT (MSVC OR CMAKE_C_COMPILER_ID STREQUAL "MSVC" OR CMAKE_C_SIMULATE_ID STREQUAL "MSVC"))
    list(APPEND _zx_native_libs stdc++ gcc_eh pthread)
  endif()
elseif(APPLE)
  set(_zx_native_libs c++ iconv m "-framework CoreFoundation" "-framework Security")
elseif(CMAKE_SYSTEM_NAME MATCHES "BSD")
  set(_zx_native_libs c++ execinfo util rt pthread m gcc_s)
else()
  set(_zx_native_libs stdc++ util rt pthread m dl gcc_s)
endif()
set(ZEROMQ_XOP_NATIVE_STATIC_LIBS "" CACHE STRING
    "system libraries for zeromq_xop_static (a list; empty: the platform default)")
if(ZEROMQ_XOP_NATIVE_STATIC_LIBS)
  set(_zx_native_libs ${ZEROMQ_XOP_NATIVE_STATIC_LIBS})
endif()

# --- the cargo build -----------------------------------------------------------------------------

set(_zx_byproducts "${_zx_static_lib}" "${_zx_shared_lib}")
if(_zx_import_lib)
  list(APPEND _zx_byproducts "${_zx_import_lib}")
endif()

# The target always runs: cargo tracks the Rust sources itself and returns quickly when they are
# unchanged. CARGO_TARGET_DIR and CARGO_BUILD_TARGET are removed from the environment so that
# the artifacts land where the imported targets below expect them (--target-dir, --target).
add_custom_target(zeromq_xop_cargo ALL
  COMMAND "${CMAKE_COMMAND}" -E env --unset=CARGO_TARGET_DIR --unset=CARGO_BUILD_TARGET
          "${CARGO}" build --lib
          --profile "${ZEROMQ_XOP_CARGO_PROFILE}"
          --manifest-path "${_zx_source_dir}/Cargo.toml"
          --target-dir "${_zx_target_dir}"
          ${_zx_cargo_target_args}
          ${ZEROMQ_XOP_CARGO_FLAGS}
  WORKING_DIRECTORY "${_zx_source_dir}"
  BYPRODUCTS ${_zx_byproducts}
  COMMENT "cargo build --lib --profile ${ZEROMQ_XOP_CARGO_PROFILE} (zeromq_xop)"
  USES_TERMINAL
  VERBATIM)

# --- imported libraries and the interface targets ------------------------------------------------

add_library(zeromq_xop_static_archive STATIC IMPORTED GLOBAL)
set_target_properties(zeromq_xop_static_archive PROPERTIES
  IMPORTED_LOCATION "${_zx_static_lib}"
  IMPORTED_LINK_INTERFACE_LANGUAGES "C")
add_dependencies(zeromq_xop_static_archive zeromq_xop_cargo)

add_library(zeromq_xop_shared_library SHARED IMPORTED GLOBAL)
set_target_properties(zeromq_xop_shared_library PROPERTIES
  IMPORTED_LOCATION "${_zx_shared_lib}")
if(WIN32)
  set_target_properties(zeromq_xop_shared_library PROPERTIES
    IMPORTED_IMPLIB "${_zx_import_lib}")
elseif(NOT APPLE)
  # cargo does not give the library an SONAME; linking it as -lzeromq_xop (instead of by its
  # full path) keeps absolute build paths out of the programs' DT_NEEDED entries.
  set_target_properties(zeromq_xop_shared_library PROPERTIES IMPORTED_NO_SONAME TRUE)
endif()
add_dependencies(zeromq_xop_shared_library zeromq_xop_cargo)

add_library(zeromq_xop_static INTERFACE)
target_include_directories(zeromq_xop_static INTERFACE "${ZEROMQ_XOP_INCLUDE_DIR}")
target_link_libraries(zeromq_xop_static INTERFACE zeromq_xop_static_archive ${_zx_native_libs})
add_dependencies(zeromq_xop_static zeromq_xop_cargo)

add_library(zeromq_xop_shared INTERFACE)
target_include_directories(zeromq_xop_shared INTERFACE "${ZEROMQ_XOP_INCLUDE_DIR}")
target_link_libraries(zeromq_xop_shared INTERFACE zeromq_xop_shared_library)
add_dependencies(zeromq_xop_shared zeromq_xop_cargo)

if(NOT EXISTS "${ZEROMQ_XOP_INCLUDE_DIR}/zeromq_xop.h")
  message(WARNING "ZeromqXop.cmake: ${ZEROMQ_XOP_INCLUDE_DIR}/zeromq_xop.h does not exist yet; "
                  "it is generated by cbindgen from the Rust sources")
endif()

message(STATUS "zeromq_xop ${ZEROMQ_XOP_VERSION}: cargo profile ${ZEROMQ_XOP_CARGO_PROFILE}, "
               "libraries in ${_zx_out_dir}")

unset(_zx_source_dir)
unset(_zx_version_line)
unset(_zx_version)
unset(_zx_cargo_hints)
unset(_zx_default_profile)
unset(_zx_default_target_dir)
unset(_zx_profile_dir)
unset(_zx_target_dir)
unset(_zx_cargo_target_args)
unset(_zx_out_dir)
unset(_zx_import_lib)
unset(_zx_static_lib)
unset(_zx_shared_lib)
unset(_zx_native_libs)
unset(_zx_byproducts)
