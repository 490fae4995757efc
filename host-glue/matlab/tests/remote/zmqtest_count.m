function n = zmqtest_count(first, varargin)
% Remote-call test function: the number of parameters (one required, more optional).
n = 1 + numel(varargin);
end
