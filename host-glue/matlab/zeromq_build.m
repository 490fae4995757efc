function zeromq_build(varargin)
%ZEROMQ_BUILD Build the zeromq MEX file for this MATLAB or GNU Octave.
%   zeromq_build()
%   zeromq_build('lib', PATH, 'include', DIR, 'out', DIR)
%
%   Builds the zeromq_xop Rust library with `cargo build --lib --release` (cargo must be
%   on the system path) and compiles zeromq_mex*.c against it: MATLAB uses its mex command
%   with the interleaved-complex API (-R2018a), Octave uses mkoctfile. The MEX file is
%   written next to this file, so `addpath` of this folder is enough afterwards.
%
%   Options (name/value pairs):
%     'lib'      the static library to link instead of building it with cargo
%     'include'  the directory holding zeromq_xop.h (default: <crate>/include)
%     'out'      the directory receiving the MEX file (default: this folder)
here = fileparts(mfilename('fullpath'));
crate = fullfile(here, '..', '..');
opts = struct('lib', '', 'include', fullfile(crate, 'include'), 'out', here);
if mod(numel(varargin), 2) ~= 0
  error('zeromq:INVALID_ARG', 'zeromq_build: options come as name/value pairs.');
end
for k = 1:2:numel(varargin)
  name = lower(varargin{k});
  if ~isfield(opts, name)
    error('zeromq:INVALID_ARG', 'zeromq_build: unknown option ''%s''.', varargin{k});
  end
  opts.(name) = varargin{k + 1};
end
is_octave = exist('OCTAVE_VERSION', 'builtin') ~= 0;

lib = opts.lib;
if isempty(lib)
  % cargo reads the crate's .cargo/config.toml (how libzmq gets CURVE) from its working folder.
  previous = cd(crate);
  [status, text] = system('cargo build --lib --release');
  cd(previous);
  if status ~= 0
    error('zeromq:INTERNAL', 'zeromq_build: cargo failed:\n%s', text);
  end
  if ispc && ~is_octave
    lib = fullfile(crate, 'target', 'release', 'zeromq_xop.lib');
  else
    lib = fullfile(crate, 'target', 'release', 'libzeromq_xop.a');
  end
end
if ~exist(lib, 'file')
  error('zeromq:INVALID_ARG', 'zeromq_build: static library %s not found.', lib);
end
sources = {fullfile(here, 'zeromq_mex.c'), fullfile(here, 'zeromq_mex_sockets.c'), ...
           fullfile(here, 'zeromq_mex_security.c')};

% The system libraries the static library needs (the Rust standard library and the C++
% runtime of the bundled libzmq).
if ispc
  syslibs = {'-lws2_32', '-liphlpapi', '-ladvapi32', '-luserenv', '-lbcrypt', '-lntdll', ...
             '-lkernel32', '-ldbghelp'};
  hide = {};
elseif ismac
  syslibs = {'-lc++', '-liconv', '-lm'};
  hide = {};
else
  syslibs = {'-lstdc++', '-lutil', '-lrt', '-lpthread', '-lm', '-ldl', '-lgcc_s'};
  hide = {'-Wl,--exclude-libs,ALL'};
end

if is_octave
  % mkoctfile leaves its object file in the current folder: work in a scratch folder.
  scratch = tempname();
  mkdir(scratch);
  previous = cd(scratch);
  cleanup = onCleanup(@() zeromq_build_cleanup(previous, scratch));
  args = [{'--mex', ['-I' opts.include], ['-I' here], '-o', ...
           fullfile(opts.out, 'zeromq_mex.mex')}, sources, {lib}, hide, syslibs];
  [output, status] = mkoctfile(args{:});
  if status ~= 0
    error('zeromq:INTERNAL', 'zeromq_build: mkoctfile failed:\n%s', output);
  end
else
  args = [{'-R2018a', ['-I' opts.include], ['-I' here], '-outdir', opts.out, ...
           '-output', 'zeromq_mex'}, sources, {lib, '-lut'}];
  args = [args, syslibs];
  if ismac
    args{end + 1} = 'LDFLAGS=$LDFLAGS -framework CoreFoundation -framework Security';
  elseif ~ispc
    args{end + 1} = ['LDFLAGS=$LDFLAGS ' hide{1}];
  end
  mex(args{:});
end
fprintf('built the zeromq MEX file in %s\n', opts.out);
end

function zeromq_build_cleanup(previous, scratch)
cd(previous);
if exist(scratch, 'dir')
  rmdir(scratch, 's');
end
end
