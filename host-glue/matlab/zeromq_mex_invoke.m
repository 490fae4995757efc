function [status, msg, out, multiple] = zeromq_mex_invoke(name, args)
%ZEROMQ_MEX_INVOKE Run one remote call (used by the zeromq MEX gateway).
%   [status, msg, out, multiple] = zeromq_mex_invoke(name, args)
%
%   Not meant to be called directly: the gateway calls it for every queued
%   CallFunction request. name is the requested function, args a cell array of its
%   inputs (char, double or logical). status is '' when the function ran, else what
%   went wrong (the gateway answers with the protocol's code for it): 'unknown' no such
%   function (only functions in m-files or MEX files on the path count; names starting
%   with zeromq_ are not callable), 'too_few' or 'too_many' inputs, 'failed' the
%   function raised an error (msg is its message). out holds the
%   outputs, as many as nargout(name) declares (varargout: at least one), MATLAB string
%   values turned into char or cell arrays of char; multiple is true when there are
%   several.
status = '';
msg = '';
out = {};
multiple = false;

if ~ischar(name) || isempty(regexp(name, '^[A-Za-z][A-Za-z0-9_]*$', 'once')) ...
    || strncmp(name, 'zeromq_', 7)
  status = 'unknown';
  return;
end
% 2: a file (m-file, p-file), 3: a MEX file, 103: an Octave command-line function.
% Built-in functions (5) and classes are not callable.
where = zeromq_mex_where(name);
if where ~= 2 && where ~= 3 && where ~= 103
  status = 'unknown';
  return;
end
try
  nin = nargin(name);
  nout = nargout(name);
catch
  status = 'unknown';  % a script or a file that is not a function
  return;
end

supplied = numel(args);
if nin >= 0
  if supplied < nin
    status = 'too_few';
    return;
  elseif supplied > nin
    status = 'too_many';
    return;
  end
elseif supplied < -nin - 1
  status = 'too_few';
  return;
end
if nout < 0
  nout = max(1, -nout - 1);
end

try
  if nout == 0
    feval(name, args{:});
  else
    out = cell(1, nout);
    [out{:}] = feval(name, args{:});
  end
catch err
  status = 'failed';
  msg = err.message;
  out = {};
  return;
end
% MATLAB string values travel as text: a scalar as char, an array as a cell array of char.
for k = 1:numel(out)
  if isstring(out{k})
    if isscalar(out{k})
      out{k} = char(out{k});
    else
      out{k} = cellstr(out{k});
    end
  end
end
multiple = nout > 1;
end

function where = zeromq_mex_where(varargin)
% exist() of the requested name, in a workspace that holds no other variable (exist also
% reports variables, which would hide a function of the same name).
where = exist(varargin{1});  %#ok<EXIST>
end
